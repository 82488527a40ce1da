
# --- realsites bench: appended to the conf.py that `nikola init -q` writes (stock theme bootblog4) ---
SITE_URL = "@BASE@"
BASE_URL = "@BASE@"
BLOG_TITLE = "Nikola Quarry Letters"
BLOG_AUTHOR = "Ada Lindqvist"
DEFAULT_LANG = "en"
TRANSLATIONS = {"en": ""}
POSTS = (("posts/*.md", "posts", "post.tmpl"),)
PAGES = ()
COMPILERS = {"markdown": (".md",), "html": (".html",)}
INDEX_DISPLAY_POST_COUNT = 8
INDEX_TEASERS = True          # the index shows each post up to its TEASER_END, else in full
CATEGORY_PAGES_ARE_INDEXES = True   # category pages list posts in full (as an index)
TAG_PAGES_ARE_INDEXES = False       # tag pages list titles
ENABLE_AUTHOR_PAGES = True
AUTHOR_PAGES_ARE_INDEXES = True
CREATE_MONTHLY_ARCHIVE = True
TIMEZONE = "UTC"
USE_BUNDLES = False
COMMENT_SYSTEM = ""
