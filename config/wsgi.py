import os

from django.core.wsgi import get_wsgi_application

from config.startup import tune_garbage_collector

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

application = get_wsgi_application()
tune_garbage_collector()
