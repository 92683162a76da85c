"""Layer 3: evidence integrity: digests and their cache, the manifest, exhibit images, signatures."""
