"""The register of conformity declarations, self-declarations and certificates."""
