"""End to end in Chromium (J5): a stale edit form and a stale board drag are refused on
screen, with the reason shown; with MITRA_SCREENSHOTS=<folder>, screenshots of the refusal
in English, Thai and Persian."""

import pytest

from .test_activities_browser import make_world, shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["en", "th", "fa"])
def test_a_stale_task_form_is_refused_and_keeps_the_input(browser, live_server, language):
    from mitra.activities import actions
    from mitra.activities.models import Task
    from mitra.users.models import User

    make_world(language=language)
    task = Task.objects.get(title="Send the contract")
    page = browser.new_page()
    sign_in(page, live_server, "malee")
    page.goto(f"{live_server.url}/activities/tasks/{task.public_id}/edit/")
    # Meanwhile a colleague renames it.
    sara = User.objects.get(username="sara")
    actions.update_task(
        Task.objects.get(pk=task.pk), acting_user=sara, title="Send the contract today"
    )
    page.fill("[name=description]", "Bring two copies")
    page.click("form.card button[type=submit]")
    page.wait_for_selector(".alert-danger")
    assert page.input_value("[name=description]") == "Bring two copies"
    assert page.input_value("[name=title]") == "Send the contract today"
    assert "Sara" in page.inner_text(".alert-danger")
    shot(page, f"stale-form-{language}")
    task.refresh_from_db()
    assert (task.title, task.description) == ("Send the contract today", "")
    page.close()


def test_a_stale_drag_on_the_board_puts_the_card_back_and_says_why(browser, live_server):
    from mitra.activities import actions
    from mitra.activities.models import Task
    from mitra.users.models import User

    make_world()
    task = Task.objects.get(title="Send the contract")
    page = browser.new_page()
    sign_in(page, live_server, "malee")
    page.goto(f"{live_server.url}/activities/tasks/board/")
    sara = User.objects.get(username="sara")
    actions.update_task(Task.objects.get(pk=task.pk), acting_user=sara, title="Send it today")
    page.locator(f"#task-{task.public_id} .task-handle").drag_to(
        page.locator(".task-column[data-status=waiting]")
    )
    page.wait_for_selector(f"#task-{task.public_id} .task-stale")
    column = page.locator(f"#task-{task.public_id}").evaluate(
        "el => el.closest('.task-column').dataset.status"
    )
    assert column == "not_started"
    assert "Send it today" in page.inner_text(f"#task-{task.public_id}")
    shot(page, "stale-board-en")
    task.refresh_from_db()
    assert task.status == "not_started"
    page.close()
