# Pelican with its stock theme (notmyidea). SITEURL is given on the command line.
AUTHOR = "Ada Lindqvist"
SITENAME = "Pelican Ferry Gazette"
PATH = "content"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
RELATIVE_URLS = False
DEFAULT_PAGINATION = 8
# notmyidea shows the newest post of a listing in full and the others as summaries;
# a summary is the first SUMMARY_MAX_LENGTH words (the default 50 would make every summary a teaser).
SUMMARY_MAX_LENGTH = 80
ARTICLE_URL = "{slug}.html"
ARTICLE_SAVE_AS = "{slug}.html"
YEAR_ARCHIVE_SAVE_AS = "{date:%Y}/index.html"
MONTH_ARCHIVE_SAVE_AS = "{date:%Y}/{date:%m}/index.html"
FEED_ALL_ATOM = "feeds/all.atom.xml"
CATEGORY_FEED_ATOM = "feeds/{slug}.atom.xml"
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
DEFAULT_DATE_FORMAT = "%Y-%m-%d"
