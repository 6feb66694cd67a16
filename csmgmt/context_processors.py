from functools import cached_property

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from .core.registry import nav_for

# The work section is grouped by area (the URL namespace) into dropdowns, so the bar stays one line.
GROUPS = {
    "tickets": (_("Calls"), "telephone"),
    "complaints": (_("Complaints"), "megaphone"),
    "lostfound": (_("Lost and found"), "box-seam"),
    "staff": (_("Attendance and scores"), "calendar-check"),
}
# Areas whose pages belong in another's dropdown: the telephone's lists (missed calls, calls to log) are calls; so
# is the knowledge base, which answers them (and the bar stays within 1366 px).
GROUP_OF = {"telephony": "tickets", "knowledge": "tickets"}


class NavContext:
    """Built lazily: an htmx fragment that never shows the navigation costs no query."""

    def __init__(self, request):
        self.request = request
        self.user = request.user

    @cached_property
    def employee(self):
        return getattr(self.user, "employee", None)

    @cached_property
    def sections(self):
        sections = {}
        for section, items in nav_for(self.user).items():
            entries = []
            for item in items:
                try:
                    url = reverse(item.url_name)
                except NoReverseMatch:
                    continue
                entries.append({
                    "namespace": item.url_name.split(":")[0] if ":" in item.url_name else "",
                    "url": url,
                    "label": item.label,
                    "icon": item.icon,
                    "badge": item.badge(self.user) if item.badge else None,
                    "badge_class": item.badge_class,
                    "badge_caption": item.badge_caption,
                    "hotkey": item.hotkey,
                    "active": self.request.path.startswith(url),
                })
            sections[section] = entries
        return sections

    @cached_property
    def work_groups(self):
        """[{"label", "icon", "items", "badge", "active"}] — one dropdown per area, a plain link when alone."""
        groups, order = {}, []
        for item in self.sections.get("work", []):
            namespace = GROUP_OF.get(item["namespace"], item["namespace"])
            key = namespace if namespace in GROUPS else item["url"]
            if key not in groups:
                label, icon = GROUPS.get(namespace, (item["label"], item["icon"]))
                groups[key] = {"label": label, "icon": icon, "items": [], "badge": 0, "active": False}
                order.append(key)
            group = groups[key]
            group["items"].append(item)
            group["badge"] += item["badge"] or 0
            group["active"] = group["active"] or item["active"]
        return [groups[k] for k in order]

    @cached_property
    def unread(self):
        from csmgmt.core.models import Notification

        if self.employee is None:
            return 0
        return Notification.objects.filter(recipient=self.employee, read_at__isnull=True).count()


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"navctx": NavContext(request)}
