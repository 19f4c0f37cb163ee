"""The casting pipeline's rules, apart from HTTP: which moves a submission may make, what
booking and releasing do to roles, work-date conflicts, and the history of every change."""
