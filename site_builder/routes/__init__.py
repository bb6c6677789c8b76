"""The map of the site: every URL shape (`urls`) and every output's owner (`registry`).

`urls` is a leaf module (it imports nothing from the rest of the package but the story
kinds), so the content models, the catalog, the photo pipeline and the search index can all
spell their addresses through it. `registry` records which producer claims which output
path and stops the build when two claim one.
"""
