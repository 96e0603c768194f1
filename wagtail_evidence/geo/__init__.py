"""Maps drawn on the server from boundary data shipped inside the package."""
