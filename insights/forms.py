from django import forms

from config.ids import IdChoiceField
from guides.models import GuideVersion


class InsightsFilterForm(forms.Form):
    version = IdChoiceField(
        queryset=GuideVersion.objects.none(), required=False, empty_label="Every guide version"
    )
    since = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, versions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].queryset = versions
        self.fields["version"].label_from_instance = lambda v: str(v)

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            raise forms.ValidationError("The start of the date range is after its end.")
        return data
