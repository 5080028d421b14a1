-- Which device holds a pupil's answer (docs/rules.md §4.5): a second device may take over only when the
-- invigilator allowed it, or when the holder has been gone for over a minute. The browser names itself with a
-- random id it keeps in localStorage; clients that send none are one anonymous device.
ALTER TABLE presence ADD COLUMN device_id text CHECK (device_id IS NULL OR length(device_id) <= 64);
