"""Taking a story or profile down: recording it (`record`), recognising its traces in a site
(`traces`, `audit`) and forgetting it in the caches (`purge`)."""
