"""Generic infrastructure under every other layer: atomic writes (:mod:`.atomic`), the site swap
(:mod:`.swap`), the project lock (:mod:`.lock`), the path rules (:mod:`.paths`), cache keys
(:mod:`.keys`), verified and linked cache entries (:mod:`.entries`) and the memo (:mod:`.memo`).

It imports nothing from the rest of Kompas; what a rule needs of the content (the id pattern of
the schemas) is handed in. See docs/architecture.md."""
