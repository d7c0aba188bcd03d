from . import portal
from . import portal_oldparts
from . import satisfaction
from . import mail_token
from . import report_xlsx
from . import mail_thread
