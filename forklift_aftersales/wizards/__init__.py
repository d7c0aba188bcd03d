from . import forklift_oldpart_receive_wizard
