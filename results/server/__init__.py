"""Server plumbing: Daphne's command line as deployments run it, the log format, static file storage."""
