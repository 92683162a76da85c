"""Layer 5: filing bodies: their requirements, cover letters, packets, page stamps."""
