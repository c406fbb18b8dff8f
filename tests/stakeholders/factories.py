import factory

from stakeholders.models import Organisation, StakeholderGroup


class StakeholderGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StakeholderGroup

    code = factory.Sequence(lambda n: f"TS{n}")
    order = factory.Sequence(lambda n: n)
    name_en = factory.Sequence(lambda n: f"Group {n}")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    code = factory.Sequence(lambda n: f"MISSION{n}")
    kind = Organisation.Kind.MISSION
    group = factory.SubFactory(StakeholderGroupFactory)
    name_en = factory.Sequence(lambda n: f"Mission {n}")
