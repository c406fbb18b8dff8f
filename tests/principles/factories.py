import factory

from principles.models import Principle


class PrincipleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Principle

    code = factory.Sequence(lambda n: f"TP{n:03d}")
    order = factory.Sequence(lambda n: n)
    name_en = factory.Sequence(lambda n: f"Principle {n}")
