"""The mock interviewer: prompts, grading schema, the SDK client and the Qt worker."""
