package kefu.kb;

/** What the bot does with a match: answer outright, suggest the closest questions, or offer a person. */
public enum Outcome { ANSWER, SUGGEST, FALLBACK }
