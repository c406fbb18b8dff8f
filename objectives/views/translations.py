"""The translation workspace of strategy managers: progress per language, what is missing
or outdated, side-by-side editing, and PO files for translators (export, import)."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from strategy_tracker.exceptions import ConflictError, ImportValidationError
from strategy_tracker.models import TranslationSource, column

from ..permissions import CHANGE_STRATEGY
from ..services import translations as service

STATES = {
    service.MISSING: gettext_lazy("Missing"),
    service.OUTDATED: gettext_lazy("Outdated: the English changed"),
    service.DONE: gettext_lazy("Translated"),
}
KIND_NAMES = {
    "strategy": gettext_lazy("Strategies"),
    "goal": gettext_lazy("Goals"),
    "outcome": gettext_lazy("Outcomes"),
    "action": gettext_lazy("Actions"),
    "principle": gettext_lazy("Principles"),
    "group": gettext_lazy("Stakeholder groups"),
    "organisation": gettext_lazy("Organisations"),
}
# One item of each kind, for headings and lists.
KIND_LABELS = {
    "strategy": gettext_lazy("Strategy"),
    "goal": gettext_lazy("Objective"),
    "outcome": gettext_lazy("Outcome"),
    "action": gettext_lazy("Action"),
    "principle": gettext_lazy("Principle"),
    "group": gettext_lazy("Stakeholder group"),
    "organisation": gettext_lazy("Organisation"),
}
SOURCES = [
    (TranslationSource.UNOFFICIAL.value, TranslationSource.UNOFFICIAL.label),
    (TranslationSource.OFFICIAL.value, TranslationSource.OFFICIAL.label),
]


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("PO file from the translator"),
        help_text=gettext_lazy(
            "The file exported here, translated. All of it is checked first; nothing is "
            "written unless every entry is right."
        ),
    )


def _must_manage(request: HttpRequest) -> None:
    if not request.user.has_perm(CHANGE_STRATEGY):
        raise PermissionDenied(_("The translation workspace is for strategy managers."))


def _language(code: str) -> str:
    if code not in dict(service.translation_languages()):
        raise Http404(_("There is no such language here."))
    return code


class WorkspaceView(LoginRequiredMixin, View):
    """Progress of every language; with `?language=`, what is left to do in it."""

    def get(self, request: HttpRequest) -> HttpResponse:
        _must_manage(request)
        rows = service.content_rows(request.user)
        by_language = {
            code: service.translation_items(code, user=request.user, rows=rows)
            for code, _name in service.translation_languages()
        }
        statuses = service.translation_status(by_language)
        return render(
            request,
            "objectives/translations.html",
            {"statuses": statuses, "kind_names": KIND_NAMES, "states": STATES},
        )


class LanguageView(LoginRequiredMixin, View):
    """One language: its progress by kind of content and the fields left to do."""

    def get(self, request: HttpRequest, language: str) -> HttpResponse:
        _must_manage(request)
        return self._page(request, _language(language), ImportForm())

    def _page(self, request, language, form, status=200, problems=None):
        items = service.translation_items(language, user=request.user)
        wanted = request.GET.get("state") or "todo"
        shown = [
            item
            for item in items
            if (item.state != service.DONE if wanted == "todo" else wanted == "all")
            or item.state == wanted
        ]
        return render(
            request,
            "objectives/translation_language.html",
            {
                "language": language,
                "language_name": dict(settings.LANGUAGES)[language],
                "status": service.translation_status({language: items})[0],
                "items": shown,
                "wanted": wanted,
                "states": STATES,
                "kind_names": KIND_NAMES,
                "kind_labels": KIND_LABELS,
                "form": form,
                "problems": problems or [],
            },
            status=status,
        )

    def post(self, request: HttpRequest, language: str) -> HttpResponse:
        """Import a translator's PO file: all of it, or nothing and every problem."""
        _must_manage(request)
        language = _language(language)
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self._page(request, language, form, status=400)
        upload = form.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            form.add_error(
                "file",
                _("The file is %(size)s MB; the limit is %(limit)s MB.")
                % {
                    "size": round(upload.size / 1_048_576, 1),
                    "limit": round(settings.IMPORT_MAX_BYTES / 1_048_576, 1),
                },
            )
            return self._page(request, language, form, status=400)
        try:
            result = service.translations_import(
                language, upload.read(), user=request.user
            )
        except ImportValidationError as error:
            return self._page(
                request, language, form, status=400, problems=error.errors
            )
        messages.success(
            request,
            _(
                "Imported: %(written)s translations written, %(unchanged)s unchanged, "
                "%(skipped)s left out (fuzzy or empty)."
            )
            % {
                "written": result.written,
                "unchanged": result.unchanged,
                "skipped": result.skipped_fuzzy,
            },
        )
        return HttpResponseRedirect(
            reverse("objectives:translation-language", args=[language])
        )


class ExportView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, language: str) -> HttpResponse:
        _must_manage(request)
        language = _language(language)
        everything = request.GET.get("all") == "1"
        response = HttpResponse(
            service.translations_export(
                language, user=request.user, everything=everything
            ),
            content_type="text/x-gettext-translation; charset=utf-8",
        )
        name = f"tracker-content-{language}{'-all' if everything else ''}.po"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class EditForm(forms.Form):
    version = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, instance, language, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for field_name in instance.translated_fields():
            english = getattr(instance, f"{field_name}_en", "") or ""
            if not english:
                continue
            current = getattr(instance, column(field_name, language), "") or ""
            self.fields[f"text_{field_name}"] = forms.CharField(
                label=instance._meta.get_field(field_name).verbose_name,
                required=False,
                initial=current,
                widget=forms.Textarea(attrs={"rows": 3, "lang": language}),
            )
            self.fields[f"source_{field_name}"] = forms.ChoiceField(
                label=_("Source"),
                choices=SOURCES,
                initial=instance.translation_source(field_name, language)
                if instance.translation_source(field_name, language) in dict(SOURCES)
                else TranslationSource.UNOFFICIAL.value,
            )
            self.rows.append(
                {
                    "field": field_name,
                    "english": english,
                    "text": self[f"text_{field_name}"],
                    "saved": current,
                    "source": self[f"source_{field_name}"],
                    "seed": instance.translation_source(field_name, language)
                    == TranslationSource.SEED,
                    "outdated": instance.is_outdated(field_name, language),
                }
            )

    def clean(self):
        data = super().clean()
        for name, value in list(data.items()):
            if name.startswith("text_") and value and "\x00" in value:
                self.add_error(
                    name, _("The text contains a character that is not allowed (NUL).")
                )
        return data


class EditView(LoginRequiredMixin, View):
    """One content's fields side by side: the English and its translation."""

    def _instance(self, request, kind: str, pk: int):
        instance = service.content_of(kind, pk, request.user)
        if instance is None:
            raise Http404
        return instance

    def _page(self, request, kind, instance, language, form, status=200):
        return render(
            request,
            "objectives/translation_edit.html",
            {
                "kind": kind,
                "kind_name": KIND_LABELS[kind],
                "instance": instance,
                "label": service.label_of(kind, instance),
                "language": language,
                "language_name": dict(settings.LANGUAGES)[language],
                "form": form,
            },
            status=status,
        )

    def get(self, request, language: str, kind: str, pk: int) -> HttpResponse:
        _must_manage(request)
        language = _language(language)
        instance = self._instance(request, kind, pk)
        form = EditForm(
            instance=instance,
            language=language,
            initial={"version": service.content_version(instance)},
        )
        return self._page(request, kind, instance, language, form)

    def post(self, request, language: str, kind: str, pk: int) -> HttpResponse:
        _must_manage(request)
        language = _language(language)
        instance = self._instance(request, kind, pk)
        form = EditForm(request.POST, instance=instance, language=language)
        if form.is_valid():
            fields = [row["field"] for row in form.rows]
            try:
                service.translation_save(
                    kind=kind,
                    pk=pk,
                    language=language,
                    texts={f: form.cleaned_data[f"text_{f}"] for f in fields},
                    sources={f: form.cleaned_data[f"source_{f}"] for f in fields},
                    version=form.cleaned_data["version"],
                    user=request.user,
                )
            except ConflictError as error:
                form.add_error(None, error.message)
                # Saving again, having seen theirs, goes through.
                form.data = form.data.copy()
                form.data["version"] = service.content_version(
                    self._instance(request, kind, pk)
                )
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, _("Translation saved."))
                return HttpResponseRedirect(
                    reverse("objectives:translation-language", args=[language])
                )
        return self._page(request, kind, instance, language, form, status=400)
