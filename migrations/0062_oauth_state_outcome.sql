-- `installed`: how the install a used link's state was taken for ended, so that the callback's
-- page loaded again (a reload, the back button) says the workspace is installed only when it
-- is. 1: installed; 0: not (Slack refused or could not be reached, or the install was refused
-- or could not be recorded); NULL while Slack is being asked, and for states used before this
-- version. Names nobody.
ALTER TABLE oauth_states ADD COLUMN installed INTEGER;
