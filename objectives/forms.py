from django import forms
from django.utils.translation import gettext_lazy as _

from principles.models import Principle
from stakeholders.models import Organisation

from .choices import Confidence, ImplementationStatus, Sensitivity
from .models import Objective, Outcome, ReportingRound
from .services.workflow import (
    ReviewDecision,
    UpdateContent,
    evidence_file_errors,
    update_content_errors,
)


class StatusUpdateForm(forms.Form):
    """A focal point's report. Errors name the field and keep everything typed."""

    status = forms.ChoiceField(label=_("Status"), choices=ImplementationStatus.choices)
    progress = forms.IntegerField(
        # xgettext:no-python-format
        label=_("% complete"),
        min_value=0,
        max_value=100,
        error_messages={
            "min_value": _("Progress must be a whole number from 0 to 100."),
            "max_value": _("Progress must be a whole number from 0 to 100."),
            "invalid": _("Progress must be a whole number from 0 to 100."),
        },
    )
    narrative = forms.CharField(
        label=_("Narrative"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "What happened since the last update; required when at risk or off track."
        ),
    )
    evidence_url = forms.URLField(
        label=_("Evidence link"), required=False, assume_scheme="https", max_length=500
    )
    evidence_file = forms.FileField(
        label=_("Evidence file"),
        required=False,
        help_text=_("PDF, image, Word, Excel, CSV or text; 10 MB at most."),
    )
    confidence = forms.ChoiceField(
        label=_("Confidence"),
        choices=Confidence.choices,
        initial=Confidence.MEDIUM,
        widget=forms.RadioSelect,
    )
    sensitivity = forms.ChoiceField(
        label=_("Sensitivity"),
        choices=Sensitivity.choices,
        initial=Sensitivity.UNCLASSIFIED,
        widget=forms.RadioSelect,
    )
    implementation_version = forms.IntegerField(widget=forms.HiddenInput)
    # The returned update this report revises, when there is one.
    answers = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def clean_evidence_file(self):
        upload = self.cleaned_data.get("evidence_file")
        errors = evidence_file_errors(upload)
        if errors:
            raise forms.ValidationError(errors)
        return upload

    def clean(self):
        cleaned = super().clean()
        errors = update_content_errors(
            status=cleaned.get("status", ""),
            progress=cleaned.get("progress"),
            narrative=cleaned.get("narrative", ""),
        )
        for field, messages in errors.items():
            if field not in self.errors:
                for message in messages:
                    self.add_error(field, message)
        return cleaned

    def content(self, *, language: str) -> UpdateContent:
        data = self.cleaned_data
        return UpdateContent(
            status=data["status"],
            progress=data["progress"],
            narrative=data.get("narrative", ""),
            evidence_url=data.get("evidence_url", ""),
            evidence_file=data.get("evidence_file"),
            confidence=data["confidence"],
            sensitivity=data["sensitivity"],
            narrative_language=language,
        )


class ReviewForm(forms.Form):
    DECISIONS = [
        ("approve", _("Approve")),
        ("accept", _("Accept")),
        ("return", _("Return for revision")),
        ("clear", _("Clear for public release")),
    ]

    decision = forms.ChoiceField(choices=DECISIONS)
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class MyActionsFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    goal = forms.ModelChoiceField(
        label=_("Goal"), queryset=Objective.objects.none(), required=False
    )
    outcome = forms.ModelChoiceField(
        label=_("Outcome"), queryset=Outcome.objects.none(), required=False
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Any status")), *ImplementationStatus.choices],
        required=False,
    )
    principle = forms.ModelChoiceField(
        label=_("Principle"), queryset=Principle.objects.none(), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = Objective.objects.in_tree().select_related(
            "strategy"
        )
        self.fields["outcome"].queryset = Outcome.objects.in_tree()
        self.fields["principle"].queryset = Principle.objects.all()
        self.fields["goal"].empty_label = _("Any goal")
        self.fields["outcome"].empty_label = _("Any outcome")
        self.fields["principle"].empty_label = _("Any principle")


class ReviewFilterForm(forms.Form):
    """The review page's filters: mission, goal, round and sensitivity."""

    mission = forms.ModelChoiceField(
        label=_("Mission"), queryset=Organisation.objects.none(), required=False
    )
    goal = forms.ModelChoiceField(
        label=_("Goal"), queryset=Objective.objects.none(), required=False
    )
    round = forms.ModelChoiceField(
        label=_("Round"), queryset=ReportingRound.objects.none(), required=False
    )
    sensitivity = forms.ChoiceField(
        label=_("Sensitivity"),
        choices=[("", _("Any sensitivity")), *Sensitivity.choices],
        required=False,
    )

    def __init__(self, *args, missions, rounds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mission"].queryset = missions
        self.fields["mission"].empty_label = _("Any mission")
        self.fields["round"].queryset = rounds
        self.fields["round"].empty_label = _("Any round")
        self.fields["goal"].queryset = Objective.objects.in_tree().select_related(
            "strategy"
        )
        self.fields["goal"].empty_label = _("Any goal")


class BulkReviewForm(forms.Form):
    """Several updates at once, each with the version the reviewer saw ("id:version")."""

    decision = forms.ChoiceField(
        choices=[
            (decision.value, decision.label)
            for decision in (
                ReviewDecision.APPROVE,
                ReviewDecision.ACCEPT,
                ReviewDecision.CLEAR,
            )
        ]
    )
    items = forms.MultipleChoiceField(required=True, choices=())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        raw = self.data.getlist("items") if hasattr(self.data, "getlist") else []
        self.fields["items"].choices = [(value, value) for value in raw[:200]]
        self.fields["items"].error_messages["required"] = _(
            "Choose at least one update."
        )

    def clean_items(self) -> list[tuple[int, int]]:
        parsed = []
        for value in self.cleaned_data["items"]:
            pk, _sep, version = value.partition(":")
            if not (pk.isdigit() and version.isdigit()):
                raise forms.ValidationError(_("The selection was not understood."))
            parsed.append((int(pk), int(version)))
        return parsed


class DateInput(forms.DateInput):
    input_type = "date"


class RoundOpenForm(forms.Form):
    """A strategy manager opens a reporting round."""

    name = forms.CharField(
        label=_("Name"), max_length=40, help_text=_("For example 2026-Q4.")
    )
    period_start = forms.DateField(label=_("Period start"), widget=DateInput)
    period_end = forms.DateField(label=_("Period end"), widget=DateInput)
    opens_on = forms.DateField(label=_("Opens on"), widget=DateInput)
    deadline = forms.DateField(
        label=_("Deadline"),
        widget=DateInput,
        help_text=_("After it, a report not submitted is “report missing”."),
    )
    expects_unstarted_work = forms.BooleanField(
        label=_("Work not yet started reports too"),
        required=False,
        help_text=_(
            "Otherwise work whose start date is after the period is “not due to "
            "report yet”."
        ),
    )


class RoundReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Why reopen it?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept in the round's history."),
    )
