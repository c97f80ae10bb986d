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
