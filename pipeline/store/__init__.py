"""Storage: the per-article work files (`work_files`, atomic writes), the link store (`link_store`)
and the run lock (`run_lock`).
"""
