"""HTML uit Jinja-sjablonen (autoescape aan) voor pagina's, fragmenten en kaarten; hangt niet van MkDocs of WeasyPrint af."""
