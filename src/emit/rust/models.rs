//! `models.rs`: one item per [`Def`]: structs for objects, enums for string
//! enums (tolerating unknown values), unit structs for constants, untagged
//! enums for unions, aliases for the rest.

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

use super::types::{Def, DefKind, Discriminated, Field, Presence, StructDef};
use super::{doc, ident};

/// The head of `models.rs`: its docs, and the import of itself when an item
/// refers to another (see [`refers_to_models`]).
pub fn head(refers_to_models: bool) -> TokenStream {
    let import = refers_to_models.then(|| quote! { use crate::models; });
    quote! {
        //! The API's data types: every component schema, and every inline
        //! object, enum and constant, named after where it appears.

        #import
    }
}

/// True when `item` names a model: models refer to each other as
/// `models::Name`, valid in `models.rs` and in the service modules alike.
pub fn refers_to_models(item: &TokenStream) -> bool {
    item.to_string().contains("models ::")
}

/// One definition: its item and the impls that go with it.
pub fn item(def: &Def) -> TokenStream {
    let docs = doc::attrs(&def.doc);
    let name = ident(&def.name);
    let body = match &def.kind {
        DefKind::Struct(s) => structure(&def.name, s),
        DefKind::Enum { variants } => string_enum(&def.name, variants),
        DefKind::Const { value } => constant(&def.name, value),
        DefKind::Union { variants } => union(&def.name, variants),
        DefKind::Discriminated(d) => discriminated(&def.name, d),
        DefKind::Alias(target) => quote! { pub type #name = #target; },
    };
    quote! { #docs #body }
}

fn structure(name: &str, def: &StructDef) -> TokenStream {
    let name_ident = ident(name);
    let sensitive = def.fields.iter().any(|f| f.sensitive);
    let all_optional = def.flattened.is_empty()
        && def
            .fields
            .iter()
            .all(|f| matches!(f.presence, Presence::Optional | Presence::OptionalNullable));
    let mut derives = vec![quote! { Clone }];
    if !sensitive {
        derives.push(quote! { Debug });
    }
    if all_optional {
        derives.push(quote! { Default });
    }
    derives.extend([
        quote! { PartialEq },
        quote! { serde::Serialize },
        quote! { serde::Deserialize },
    ]);
    let deny = def
        .deny_unknown
        .then(|| quote! { #[serde(deny_unknown_fields)] });
    let fields = def.fields.iter().map(field);
    let flattened = def.flattened.iter().map(|(field, ty)| {
        let field = ident(field);
        quote! { #[serde(flatten)] pub #field: #ty, }
    });
    let additional = def.additional.as_ref().map(|(field, ty)| {
        let field = ident(field);
        quote! {
            /// Properties beyond the declared ones.
            #[serde(flatten)]
            pub #field: #ty,
        }
    });
    let debug = sensitive.then(|| redacted_debug(name, def));
    quote! {
        #[derive(#(#derives),*)]
        #deny
        pub struct #name_ident {
            #(#fields)*
            #(#flattened)*
            #additional
        }
        #debug
    }
}

fn field(field: &Field) -> TokenStream {
    let mut text = field.doc.as_deref().map(doc::prose).unwrap_or_default();
    let note = match field.presence {
        Presence::Required => None,
        Presence::RequiredNullable => Some("Always sent; `None` is sent as `null`."),
        Presence::Optional => Some("`None` leaves the field out."),
        Presence::OptionalNullable => Some(
            "`None` leaves the field out; `Some(None)` sends `null`, which the API may read \
             differently from an absent field.",
        ),
    };
    if let Some(note) = note {
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        text.push_str(note);
    }
    if field.sensitive {
        text.push_str("\n\nSensitive: never shown by `Debug`.");
    }
    let docs = doc::attrs(&text);
    let ident_name = ident(&field.ident);
    let wire = &field.wire;
    let rename = (field.ident != field.wire).then(|| quote! { #[serde(rename = #wire)] });
    let presence = match field.presence {
        Presence::Required | Presence::RequiredNullable => None,
        Presence::Optional => Some(quote! {
            #[serde(default, skip_serializing_if = "Option::is_none")]
        }),
        Presence::OptionalNullable => Some(quote! {
            #[serde(
                default,
                skip_serializing_if = "Option::is_none",
                deserialize_with = "crate::runtime::nullable"
            )]
        }),
    };
    let ty = field.rust_type();
    quote! {
        #docs
        #rename
        #presence
        pub #ident_name: #ty,
    }
}

fn redacted_debug(name: &str, def: &StructDef) -> TokenStream {
    let name_ident = ident(name);
    let fields = def.fields.iter().map(|f| {
        let shown_as = &f.ident;
        let field = ident(&f.ident);
        if !f.sensitive {
            return quote! { .field(#shown_as, &self.#field) };
        }
        match f.presence {
            Presence::Required => quote! { .field(#shown_as, &"<redacted>") },
            Presence::RequiredNullable | Presence::Optional => {
                quote! { .field(#shown_as, &self.#field.as_ref().map(|_| "<redacted>")) }
            }
            Presence::OptionalNullable => quote! {
                .field(#shown_as, &self.#field.as_ref().map(|v| v.as_ref().map(|_| "<redacted>")))
            },
        }
    });
    let rest = def
        .flattened
        .iter()
        .chain(def.additional.as_ref())
        .map(|(field, _)| {
            let ident_name = ident(field);
            quote! { .field(#field, &self.#ident_name) }
        });
    quote! {
        impl std::fmt::Debug for #name_ident {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(#name)
                    #(#fields)*
                    #(#rest)*
                    .finish()
            }
        }
    }
}

fn string_enum(name: &str, variants: &[(String, String)]) -> TokenStream {
    let name_ident = ident(name);
    let declared = variants.iter().map(|(variant, wire)| {
        let variant = ident(variant);
        let docs = doc::attrs(&doc::code(wire));
        quote! { #docs #variant, }
    });
    let to_str = variants.iter().map(|(variant, wire)| {
        let variant = ident(variant);
        quote! { Self::#variant => #wire, }
    });
    let from_str = variants.iter().map(|(variant, wire)| {
        let variant = ident(variant);
        quote! { #wire => Self::#variant, }
    });
    quote! {
        #[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum #name_ident {
            #(#declared)*
            /// A value this client does not know, kept as sent (a newer server may send one).
            Unknown(String),
        }

        impl #name_ident {
            /// The value as it appears on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#to_str)*
                    Self::Unknown(value) => value,
                }
            }
        }

        impl From<&str> for #name_ident {
            fn from(value: &str) -> Self {
                match value {
                    #(#from_str)*
                    other => Self::Unknown(other.to_owned()),
                }
            }
        }

        impl std::fmt::Display for #name_ident {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for #name_ident {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for #name_ident {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <String as serde::Deserialize>::deserialize(deserializer)?;
                Ok(Self::from(value.as_str()))
            }
        }
    }
}

fn constant(name: &str, value: &Value) -> TokenStream {
    let name_ident = ident(name);
    let (ty, literal, eq) = match value {
        Value::String(s) => (quote! { &'static str }, quote! { #s }, true),
        Value::Bool(b) => (quote! { bool }, quote! { #b }, true),
        Value::Number(n) if n.is_i64() => {
            let n = n.as_i64().unwrap_or_default();
            (quote! { i64 }, quote! { #n }, true)
        }
        Value::Number(n) => {
            let n = n.as_f64().unwrap_or_default();
            (quote! { f64 }, quote! { #n }, false)
        }
        // A constant array, object or null: any JSON value.
        _ => return quote! { pub type #name_ident = serde_json::Value; },
    };
    let owned = if matches!(value, Value::String(_)) {
        quote! { String }
    } else {
        ty.clone()
    };
    let derives = if eq {
        quote! { #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)] }
    } else {
        quote! { #[derive(Clone, Copy, Debug, Default, PartialEq)] }
    };
    let shown = doc::code(&value.to_string());
    let docs = doc::attrs(&format!("Always {shown}: any other value fails to decode."));
    quote! {
        #docs
        #derives
        pub struct #name_ident;

        impl #name_ident {
            /// The only value.
            pub const VALUE: #ty = #literal;
        }

        impl serde::Serialize for #name_ident {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serde::Serialize::serialize(&Self::VALUE, serializer)
            }
        }

        impl<'de> serde::Deserialize<'de> for #name_ident {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <#owned as serde::Deserialize>::deserialize(deserializer)?;
                if value == Self::VALUE {
                    Ok(Self)
                } else {
                    Err(serde::de::Error::custom(format_args!(
                        "expected {:?}, found {:?}",
                        Self::VALUE,
                        value
                    )))
                }
            }
        }
    }
}

fn union(name: &str, variants: &[(String, TokenStream)]) -> TokenStream {
    let name_ident = ident(name);
    let variants = variants.iter().map(|(variant, ty)| {
        let variant = ident(variant);
        quote! { #variant(#ty), }
    });
    // Variants are as large as the spec makes them (clippy's size lint is
    // about hand-written enums one can restructure).
    quote! {
        #[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
        #[serde(untagged)]
        #[allow(clippy::large_enum_variant)]
        pub enum #name_ident {
            #(#variants)*
        }
    }
}

/// A union told apart by one property. When no variant declares the
/// property, serde's internal tagging writes and reads it; otherwise each
/// variant keeps it as a field, so decoding reads it first and then decodes
/// the chosen variant from the whole object, and a value this client does
/// not know stays `Unknown`.
fn discriminated(name: &str, def: &Discriminated) -> TokenStream {
    let name_ident = ident(name);
    let property = &def.property;
    let docs = |values: &[String]| {
        let shown: Vec<String> = values.iter().map(|v| doc::code(v)).collect();
        doc::attrs(&format!(
            "When {} is {}.",
            doc::code(property),
            shown.join(" or ")
        ))
    };
    if def.internally_tagged {
        let variants = def.variants.iter().map(|(variant, ty, values)| {
            let variant = ident(variant);
            let docs = docs(values);
            let (first, aliases) = values
                .split_first()
                .map_or((None, &[][..]), |(f, r)| (Some(f), r));
            let rename = first.map(|first| quote! { #[serde(rename = #first)] });
            let aliases = aliases
                .iter()
                .map(|alias| quote! { #[serde(alias = #alias)] });
            quote! { #docs #rename #(#aliases)* #variant(#ty), }
        });
        return quote! {
            #[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
            #[serde(tag = #property)]
            #[allow(clippy::large_enum_variant)]
            pub enum #name_ident {
                #(#variants)*
            }
        };
    }
    let variants = def.variants.iter().map(|(variant, ty, values)| {
        let variant = ident(variant);
        let docs = docs(values);
        quote! { #docs #variant(#ty), }
    });
    let arms = def.variants.iter().map(|(variant, _, values)| {
        let variant = ident(variant);
        quote! {
            Some(#(#values)|*) => serde_json::from_value(value)
                .map(Self::#variant)
                .map_err(serde::de::Error::custom),
        }
    });
    let unknown_doc = doc::attrs(&format!(
        "A {} this client does not know, kept as sent (a newer server may send one).",
        doc::code(property)
    ));
    let missing = format!("missing discriminator property `{property}`");
    quote! {
        #[derive(Clone, Debug, PartialEq, serde::Serialize)]
        #[serde(untagged)]
        #[allow(clippy::large_enum_variant)]
        pub enum #name_ident {
            #(#variants)*
            #unknown_doc
            Unknown(serde_json::Value),
        }

        impl<'de> serde::Deserialize<'de> for #name_ident {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
                let tag = value.get(#property).and_then(serde_json::Value::as_str).map(str::to_owned);
                match tag.as_deref() {
                    #(#arms)*
                    Some(_) => Ok(Self::Unknown(value)),
                    None => Err(serde::de::Error::custom(#missing)),
                }
            }
        }
    }
}
