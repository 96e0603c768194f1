"""What the package serves to readers and to front ends (the API's pages
endpoint), for a site to mount in its URLs."""
