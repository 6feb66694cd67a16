from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Article, ArticleEvent, ArticleVersion, CallArticle, KnowledgeSettings


class ReadOnlyAdmin(admin.ModelAdmin):
    """Trails are never edited or deleted."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.register(Article, ReadOnlyAdmin)  # edited on its pages only: each edit a version
admin.site.register(ArticleEvent, ReadOnlyAdmin)
admin.site.register(ArticleVersion, ReadOnlyAdmin)
admin.site.register(CallArticle, ReadOnlyAdmin)
admin.site.register(KnowledgeSettings, SimpleHistoryAdmin)
