-- PostgreSQL only (SQLite keeps no statistics). Autovacuum analyses a table once a tenth of it has changed: at
-- national scale a month's returns, flags or reminders are a few percent of tables holding years, so the newest
-- period would never be in the statistics. These tables are analysed after a fixed number of changed rows
-- instead (a few thousand: a province's uploads, a day of submissions), and vacuumed after 2 % rather than 20 %.
ALTER TABLE returns SET (autovacuum_analyze_scale_factor = 0, autovacuum_analyze_threshold = 5000, autovacuum_vacuum_scale_factor = 0.02);
ALTER TABLE return_lines SET (autovacuum_analyze_scale_factor = 0, autovacuum_analyze_threshold = 5000, autovacuum_vacuum_scale_factor = 0.02);
ALTER TABLE return_history SET (autovacuum_analyze_scale_factor = 0, autovacuum_analyze_threshold = 10000, autovacuum_vacuum_scale_factor = 0.02);
ALTER TABLE missed_deadline_flags SET (autovacuum_analyze_scale_factor = 0, autovacuum_analyze_threshold = 2000, autovacuum_vacuum_scale_factor = 0.02);
ALTER TABLE reminders SET (autovacuum_analyze_scale_factor = 0, autovacuum_analyze_threshold = 5000, autovacuum_vacuum_scale_factor = 0.02);
ALTER TABLE delivery_items SET (autovacuum_analyze_scale_factor = 0, autovacuum_analyze_threshold = 10000, autovacuum_vacuum_scale_factor = 0.02);
