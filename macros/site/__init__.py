"""De site: de MkDocs-adapter, de bouw, linkcontrole, zoekindex, wijzigingen, CSP en thema."""
