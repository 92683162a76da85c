"""Layer 0: errors, atomic output, safe text, languages and translations, packaged resources, the doctor."""
