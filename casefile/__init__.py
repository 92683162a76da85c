"""casefile: validated, print-grade dossiers and submission packets for war-crimes cases."""

__version__ = "0.1.0"
