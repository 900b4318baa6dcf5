"""The guidance site: the MkDocs plugin, the generated pages, search and CSP fixes, the
background jobs that make the site's PDFs and offline forms, overrides and the scaffold."""
