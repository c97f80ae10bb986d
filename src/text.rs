//! Prose helpers shared by the front end and the emitters.

/// The first sentence of a description, on one line.
pub fn first_sentence(text: &str) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut depth = 0i32;
    let chars: Vec<char> = flat.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            '.' if depth <= 0 && chars.get(i + 1).is_none_or(|n| *n == ' ') => {
                return chars[..=i].iter().collect();
            }
            _ => {}
        }
    }
    flat
}

/// A Unicode bidi control: it reorders the text around it, so spec text
/// holding one must not reach a place a reader trusts its order (rustc
/// refuses them in comments).
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_sentence_skips_parentheses_and_abbreviations_inside_words() {
        assert_eq!(
            first_sentence("A key (e.g. this). More."),
            "A key (e.g. this)."
        );
        assert_eq!(first_sentence("Uses v1.2 now.\nNext."), "Uses v1.2 now.");
        assert_eq!(first_sentence("no period"), "no period");
    }
}
