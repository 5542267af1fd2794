from actors.models import Actor
from ijtech.sitemaps import EditorialSitemap


class ActorSitemap(EditorialSitemap):
    model = Actor
    priority = 0.6
