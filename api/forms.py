from django import forms

from api.models import ApiKey


class KeyForm(forms.ModelForm):
    class Meta:
        model = ApiKey
        fields = ["name", "can_write"]
        labels = {"can_write": "May also write (add candidates, schedule, withdraw)"}
