package kefu.kb;

/**
 * What the bot does with a match: answer outright, ask about the one entry that stands out, suggest the closest
 * questions, or offer a person.
 */
public enum Outcome { ANSWER, CONFIRM, SUGGEST, FALLBACK }
