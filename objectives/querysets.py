from django.db import models


class TreeNodeQuerySet(models.QuerySet):
    """Objectives, outcomes and actions: archived nodes stay for history but leave the tree."""

    def current(self) -> "TreeNodeQuerySet":
        return self.filter(archived_at__isnull=True)

    def archived(self) -> "TreeNodeQuerySet":
        return self.filter(archived_at__isnull=False)


class StatusUpdateQuerySet(models.QuerySet):
    def accepted(self) -> "StatusUpdateQuerySet":
        from .choices import ReviewState

        return self.filter(review_state=ReviewState.ACCEPTED)
