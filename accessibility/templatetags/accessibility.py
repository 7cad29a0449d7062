"""``{% accessibility_level %}``: the RGAA compliance label shown in every page's footer link."""

from django import template

from accessibility.views import level

register = template.Library()


@register.simple_tag
def accessibility_level():
    return level()
