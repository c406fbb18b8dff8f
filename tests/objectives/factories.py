import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from objectives.choices import ImplementationStatus, ReviewState
from objectives.models import (
    Action,
    Implementation,
    Objective,
    Outcome,
    StatusUpdate,
    Strategy,
)
from tests.stakeholders.factories import OrganisationFactory


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")


class StrategyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Strategy

    code = factory.Sequence(lambda n: f"STRAT-{n}")
    title_en = factory.Sequence(lambda n: f"Strategy {n}")
    status = "active"


class ObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Objective

    strategy = factory.SubFactory(StrategyFactory)
    code = factory.Sequence(lambda n: f"G{n}")
    order = factory.Sequence(lambda n: n)
    title_en = factory.Sequence(lambda n: f"Goal {n}")


class OutcomeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Outcome

    objective = factory.SubFactory(ObjectiveFactory)
    code = factory.Sequence(lambda n: f"O{n}")
    title_en = factory.Sequence(lambda n: f"Outcome {n}")


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    outcome = factory.SubFactory(OutcomeFactory)
    code = factory.Sequence(lambda n: f"A{n}")
    title_en = factory.Sequence(lambda n: f"Action {n}")


class ImplementationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Implementation

    action = factory.SubFactory(ActionFactory)
    organisation = factory.SubFactory(OrganisationFactory)


class StatusUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StatusUpdate

    implementation = factory.SubFactory(ImplementationFactory)
    status = ImplementationStatus.ON_TRACK
    progress = 40
    narrative = "Progressing as planned."
    author = factory.SubFactory(UserFactory)
    review_state = ReviewState.ACCEPTED
    submitted_at = factory.LazyFunction(timezone.now)
    accepted_at = factory.LazyFunction(timezone.now)
