# Runs the built ctl/pptpctl; it links nothing of its own.
t_pptpctl_MODS =
tests/unit/t_pptpctl: | ctl/pptpctl
