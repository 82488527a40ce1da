# The copier: Pelican (notmyidea) copying posts without any canonical link; each article page
# also states its datePublished in JSON-LD. Transform per post (metadata `Transform`):
#   no-canonical -> published 20 days after the original
#   earlier-date -> claims a date 40 days before the original
AUTHOR = "Content Mirror"
SITENAME = "Mirror Digest"
PATH = "content"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
RELATIVE_URLS = False
DEFAULT_PAGINATION = 6
SUMMARY_MAX_LENGTH = 80
ARTICLE_URL = "{slug}.html"
ARTICLE_SAVE_AS = "{slug}.html"
THEME_TEMPLATES_OVERRIDES = ["overrides"]
FEED_ALL_ATOM = "feeds/all.atom.xml"
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
