"""How every form of the project renders: labels without Django's trailing colon ("Title", not
"Title:"), Django's own forms (log in, passwords) included."""

from django import forms
from django.forms.renderers import DjangoTemplates


class BoundField(forms.BoundField):
    def label_tag(self, contents=None, attrs=None, label_suffix=None, tag=None):
        if label_suffix is None:
            label_suffix = self.field.label_suffix or ""
        return super().label_tag(contents, attrs, label_suffix, tag)


class FormRenderer(DjangoTemplates):
    bound_field_class = BoundField
