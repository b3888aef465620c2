"""The partnership coordinator's pages: school sign-ups, the Key Adult register and its
problems. Each view fetches through a selector that 404s for anyone but the coordinator of
that partnership (or an administrator)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from encompass.events import client_ip
from encompass.models import Role
from schools import selectors, services
from schools.forms import KeyAdultAddForm, KeyAdultChangeForm, SignUpForm
from schools.models import Partnership


def home(request):
    if request.user.role != Role.COORDINATOR or request.user.partnership_id is None:
        raise Http404
    return redirect("schools:schools", partnership_id=request.user.partnership_id)


def schools(request, partnership_id: int):
    partnership = selectors.partnership_get_for_coordinator(request.user, partnership_id)
    schools = selectors.schools_of_partnership(partnership)
    show = request.GET.get("show", "participating")
    if show == "participating":
        schools = schools.filter(participating=True)
    elif show == "not-participating":
        schools = schools.filter(participating=False)
    return render(
        request, "schools/schools.html", {"partnership": partnership, "schools": schools, "show": show}
    )


def school(request, partnership_id: int, urn: int):
    partnership = selectors.partnership_get_for_coordinator(request.user, partnership_id)
    school = selectors.school_get_for_coordinator(partnership, urn)
    context = {
        "partnership": partnership,
        "school": school,
        "key_adults": selectors.key_adults_of_school(school),
        "acceptances": school.agreement_acceptances.all(),
        "changes": selectors.school_changes(school),
    }
    return render(request, "schools/school.html", context)


def sign_up(request, partnership_id: int, urn: int):
    partnership = selectors.partnership_get_for_coordinator(request.user, partnership_id)
    school = selectors.school_get_for_coordinator(partnership, urn)
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.school_sign_up(
            school=school, actor=request.user, ip_address=client_ip(request), **form.cleaned_data
        )
        messages.success(request, f"{school.name} has joined Operation Encompass")
        return redirect("schools:school", partnership_id=partnership.pk, urn=school.urn)
    context = {"partnership": partnership, "school": school, "form": form}
    return render(request, "schools/sign_up.html", context, status=400 if form.errors else 200)


@require_POST
def withdraw(request, partnership_id: int, urn: int):
    partnership = selectors.partnership_get_for_coordinator(request.user, partnership_id)
    school = selectors.school_get_for_coordinator(partnership, urn)
    services.school_withdraw(school=school, actor=request.user, ip_address=client_ip(request))
    messages.success(request, f"{school.name} no longer takes part in Operation Encompass")
    return redirect("schools:school", partnership_id=partnership.pk, urn=school.urn)


def key_adult_add(request, partnership_id: int, urn: int):
    partnership = selectors.partnership_get_for_coordinator(request.user, partnership_id)
    school = selectors.school_get_for_coordinator(partnership, urn)
    form = KeyAdultAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if school.key_adults.filter(user__email__iexact=form.cleaned_data["email"]).exists():
            form.add_error("email", "This person is already on the school's register")
        else:
            try:
                services.key_adult_add(
                    school=school, actor=request.user, ip_address=client_ip(request), **form.cleaned_data
                )
            except services.KeyAdultNotSchoolStaff as exc:
                form.add_error("email", str(exc))
            else:
                messages.success(request, "Key Adult added")
                return redirect("schools:school", partnership_id=partnership.pk, urn=school.urn)
    context = {"partnership": partnership, "school": school, "form": form}
    return render(request, "schools/key_adult_form.html", context, status=400 if form.errors else 200)


def key_adult_change(request, partnership_id: int, pk: int):
    partnership = selectors.partnership_get_for_coordinator(request.user, partnership_id)
    key_adult = selectors.key_adult_get_for_coordinator(partnership, pk)
    initial = {
        "email": key_adult.user.email,
        "role": key_adult.role,
        "is_active": "yes" if key_adult.is_active else "no",
        "phone": key_adult.phone,
        "alert_by": key_adult.alert_by,
        "mobile": key_adult.mobile,
        "trained_on": key_adult.trained_on,
    }
    form = KeyAdultChangeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.key_adult_update(
                key_adult=key_adult, actor=request.user, ip_address=client_ip(request), **form.cleaned_data
            )
        except services.KeyAdultEmailTaken as exc:
            form.add_error("email", str(exc))
        else:
            state = "receives alerts" if key_adult.is_active else "no longer receives alerts"
            messages.success(request, f"{key_adult.user.full_name} updated: {state}")
            return redirect("schools:school", partnership_id=partnership.pk, urn=key_adult.school.urn)
    context = {"partnership": partnership, "school": key_adult.school, "key_adult": key_adult, "form": form}
    return render(request, "schools/key_adult_form.html", context, status=400 if form.errors else 200)


def problems(request, partnership_id: int):
    partnership = selectors.partnership_get_for_coordinator(request.user, partnership_id)
    problems = selectors.key_adult_problems(partnership, today=timezone.localdate())
    context = {
        "partnership": partnership,
        "problems": problems,
        "groups": selectors.problems_grouped(problems),
    }
    return render(request, "schools/problems.html", context)


# The agreement text on the page is this version; partnerships start on it.
AGREEMENT_VERSION = Partnership._meta.get_field("agreement_version").default


def agreement(request):
    return render(request, "pages/agreement.html", {"version": AGREEMENT_VERSION})
