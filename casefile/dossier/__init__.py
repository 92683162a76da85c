"""Layer 4: the dossier: the view of a case for one edition, HTML, PDF, the large-case listing."""
