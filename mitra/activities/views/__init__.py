"""The activity screens, one module per record kind (`common` holds what they share).

`activities/urls.py` and `activities/apps.py` use the names re-exported here."""

from .analysis import (  # noqa: F401
    interaction_analysis,
)
from .appointments import (  # noqa: F401
    appointment_conflicts,
    appointment_create,
    appointment_delete,
    appointment_detail,
    appointment_edit,
    appointment_list,
)
from .attachments import (  # noqa: F401
    attachment_delete,
    attachment_download,
    attachment_upload,
    party_file_history,
    party_files_tab,
)
from .followups import (  # noqa: F401
    followup_chain,
    followup_create,
    followup_delete,
    followup_edit,
    followup_list,
)
from .interactions import (  # noqa: F401
    interaction_create,
    interaction_delete,
    interaction_detail,
    interaction_edit,
    interaction_export,
    interaction_list,
    quick_log,
)
from .lookups import (  # noqa: F401
    lookup_list,
)
from .news import (  # noqa: F401
    news_create,
    news_delete,
    news_detail,
    news_edit,
    news_list,
)
from .notes import (  # noqa: F401
    note_create,
    note_delete,
    note_detail,
    note_edit,
    note_list,
    note_status,
)
from .party import (  # noqa: F401
    party_options,
)
from .tasks import (  # noqa: F401
    task_board,
    task_close,
    task_create,
    task_delete,
    task_detail,
    task_edit,
    task_export,
    task_list,
    task_status,
    task_step_add,
    task_step_delete,
    task_step_toggle,
)
from .timeline import (  # noqa: F401
    party_timeline,
    timeline_tab,
)
