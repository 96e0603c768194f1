"""Pages the package serves to readers, for a site to mount in its URLs."""
