t_datapath_sync_MODS = daemon/datapath_sync daemon/log tests/lib/timer_manual
