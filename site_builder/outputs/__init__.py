"""Machine-readable outputs built from the catalog (sitemap, robots.txt, ...)."""
