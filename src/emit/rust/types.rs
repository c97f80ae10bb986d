//! How IR types become Rust types. Component schemas keep their names;
//! inline objects, enums, constants and unions get a name from where they
//! appear (`ProvisionStatus.stage` → `ProvisionStatusStage`). Every
//! definition lands in `models.rs`; callers get back the type to write.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

use super::ident;
use crate::ir::{Additional, Api, Property, Scalar, Shape, Type};
use crate::naming::{self, RUST_KEYWORDS, Scope, Suffix};

/// Names the `models` module already uses unqualified; a schema by one of
/// these names is renamed by the collision rule.
const MODELS_RESERVED: &[&str] = &[
    "Box",
    "BTreeMap",
    "Deserialize",
    "Deserializer",
    "Option",
    "Result",
    "Serialize",
    "Serializer",
    "String",
    "Value",
    "Vec",
];

/// One item of `models.rs`.
pub struct Def {
    pub name: String,
    /// The spec's description, if any, and where the type comes from.
    pub doc: String,
    pub kind: DefKind,
}

pub enum DefKind {
    Struct(StructDef),
    /// A string enum; unknown values decode into `Unknown(String)`.
    Enum {
        variants: Vec<(String, String)>,
    },
    /// A value fixed by `const`: a unit struct that (de)serializes as `value`.
    Const {
        value: Value,
    },
    /// `oneOf` / `anyOf`: the first variant that decodes wins.
    Union {
        variants: Vec<(String, TokenStream)>,
    },
    /// A component that is not an object of its own: `type Name = ...;`.
    Alias(TokenStream),
}

pub struct StructDef {
    pub fields: Vec<Field>,
    /// Keys beyond the declared ones, kept in a flattened map of this type.
    pub additional: Option<(String, TokenStream)>,
    /// `additionalProperties: false`.
    pub deny_unknown: bool,
    /// Parts of an `allOf`, each flattened into the struct.
    pub flattened: Vec<(String, TokenStream)>,
}

pub struct Field {
    pub ident: String,
    pub wire: String,
    /// The declared value type, without the `Option`s presence adds.
    pub value: TokenStream,
    pub presence: Presence,
    pub doc: Option<String>,
    pub sensitive: bool,
}

/// Whether a field may be absent and whether it may be `null`: four
/// different things on the wire, so four different Rust shapes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    /// `T`
    Required,
    /// `Option<T>`: always sent, `None` is `null`.
    RequiredNullable,
    /// `Option<T>`: `None` is absent.
    Optional,
    /// `Option<Option<T>>`: `None` is absent, `Some(None)` is `null`.
    OptionalNullable,
}

impl Field {
    pub fn rust_type(&self) -> TokenStream {
        let value = &self.value;
        match self.presence {
            Presence::Required => quote! { #value },
            Presence::RequiredNullable | Presence::Optional => quote! { Option<#value> },
            Presence::OptionalNullable => quote! { Option<Option<#value>> },
        }
    }
}

/// Which optional dependencies and helpers the generated code needs.
#[derive(Debug, Default, Clone, Copy)]
pub struct Uses {
    pub uuid: bool,
    pub chrono: bool,
    pub nullable: bool,
}

pub struct TypeTable<'a> {
    api: &'a Api,
    scope: Scope,
    component_names: BTreeMap<String, String>,
    /// Components each component reaches without passing through a
    /// collection: a field pointing back along such a path needs a `Box`.
    reaches: BTreeMap<String, BTreeSet<String>>,
    /// Fields per struct (by Rust name): wire name → Rust field and presence.
    field_names: BTreeMap<String, BTreeMap<String, (String, Presence)>>,
    pub defs: Vec<Def>,
    pub uses: Uses,
    /// Where the type being resolved sits in the spec, for the docs of the
    /// definitions it creates ("schema `Node`, field `children`, items").
    place: String,
}

/// Where a type is being written, for boxing recursive references.
#[derive(Clone, Copy)]
struct Context<'c> {
    /// The component whose definition this is part of, if any.
    owner: Option<&'c str>,
    /// Inside a `Vec` or a map: already behind a pointer.
    indirect: bool,
}

impl<'a> TypeTable<'a> {
    /// Claims every component's name and defines them, in spec order.
    pub fn new(api: &'a Api) -> Self {
        let mut scope = Scope::new(RUST_KEYWORDS, Suffix::Plain);
        for name in MODELS_RESERVED {
            scope.occupy(name);
        }
        let component_names = api
            .types
            .iter()
            .map(|t| (t.name.clone(), scope.claim(&naming::upper_camel(&t.name))))
            .collect();
        let mut table = TypeTable {
            api,
            scope,
            component_names,
            reaches: reaches(api),
            field_names: BTreeMap::new(),
            defs: Vec::new(),
            uses: Uses::default(),
            place: String::new(),
        };
        for named in &api.types {
            let name = table.component_names[&named.name].clone();
            table.place = format!("schema `{}`", named.name);
            let context = Context {
                owner: Some(&named.name),
                indirect: false,
            };
            table.define_as(&name, &named.ty, context);
        }
        table
    }

    /// The Rust type for a value of `ty` outside any component (a body, a
    /// response, a parameter), naming inline definitions after `hint`;
    /// `place` says where it is, for their docs.
    pub fn type_of(&mut self, ty: &Type, hint: &str, place: &str) -> TokenStream {
        self.place = place.to_string();
        let context = Context {
            owner: None,
            indirect: false,
        };
        self.value_type(ty, hint, context)
    }

    /// Like [`Self::type_of`], without the `Option` that nullability adds:
    /// for parameters, where absent and `null` are one thing.
    pub fn non_null_type_of(&mut self, ty: &Type, hint: &str, place: &str) -> TokenStream {
        self.place = place.to_string();
        let context = Context {
            owner: None,
            indirect: false,
        };
        self.non_null_type(ty, hint, context)
    }

    /// The Rust field of `wire` in the struct `rust_name`, with its presence.
    pub fn field(&self, rust_name: &str, wire: &str) -> Option<(&str, Presence)> {
        let (field, presence) = self.field_names.get(rust_name)?.get(wire)?;
        Some((field.as_str(), *presence))
    }

    /// True when `ty` (or the component it names) admits `null`.
    pub fn is_nullable(&self, ty: &Type) -> bool {
        ty.nullable
            || match &ty.shape {
                Shape::Ref { name } => self
                    .api
                    .named_type(name)
                    .is_some_and(|t| t.ty.nullable && !matches!(t.ty.shape, Shape::Ref { .. })),
                Shape::Enum { values, .. } => values.contains(&Value::Null),
                _ => false,
            }
    }

    /// `T`, or `Option<T>` when `null` is a valid value.
    fn value_type(&mut self, ty: &Type, hint: &str, context: Context<'_>) -> TokenStream {
        let inner = self.non_null_type(ty, hint, context);
        if self.is_nullable(ty) {
            quote! { Option<#inner> }
        } else {
            inner
        }
    }

    fn non_null_type(&mut self, ty: &Type, hint: &str, context: Context<'_>) -> TokenStream {
        match &ty.shape {
            Shape::Ref { name } => self.reference(name, context),
            Shape::Scalar { scalar, format, .. } => self.scalar(*scalar, format.as_deref()),
            Shape::Enum { scalar, values } => {
                let names: Vec<&str> = values.iter().filter_map(Value::as_str).collect();
                if *scalar == Scalar::String && !names.is_empty() {
                    let name = self.scope.claim(&naming::upper_camel(hint));
                    self.define_enum(&name, ty, &names);
                    named(&name)
                } else {
                    self.scalar(*scalar, None)
                }
            }
            Shape::Const { value, .. } => {
                let name = self.scope.claim(&naming::upper_camel(hint));
                self.push(
                    &name,
                    ty,
                    DefKind::Const {
                        value: value.clone(),
                    },
                );
                named(&name)
            }
            Shape::Object {
                properties,
                additional,
                ..
            } => {
                if properties.is_empty() && !matches!(additional, Additional::Forbidden) {
                    return self.map_type(None, additional_values(additional), hint, context);
                }
                let name = self.scope.claim(&naming::upper_camel(hint));
                self.define_struct(&name, ty, properties, additional, context);
                named(&name)
            }
            Shape::Map { values, keys, .. } => {
                self.map_type(keys.as_deref(), Some(values), hint, context)
            }
            Shape::Array { items } => {
                let item = self.within("items", |table| {
                    table.value_type(items, &format!("{hint}Item"), indirect(context))
                });
                quote! { Vec<#item> }
            }
            Shape::OneOf { variants } | Shape::AnyOf { variants } => {
                let name = self.scope.claim(&naming::upper_camel(hint));
                self.define_union(&name, ty, variants, context);
                named(&name)
            }
            Shape::AllOf { parts } => match parts.as_slice() {
                [only] => self.non_null_type(only, hint, context),
                _ => {
                    let name = self.scope.claim(&naming::upper_camel(hint));
                    self.define_all_of(&name, ty, parts, context);
                    named(&name)
                }
            },
            Shape::Any => quote! { serde_json::Value },
        }
    }

    fn reference(&mut self, name: &str, context: Context<'_>) -> TokenStream {
        let Some(rust) = self.component_names.get(name) else {
            // The front end resolves every reference; stay total regardless.
            return quote! { serde_json::Value };
        };
        let target = named(rust);
        let recursive = context.owner.is_some_and(|owner| {
            owner == name || self.reaches.get(name).is_some_and(|r| r.contains(owner))
        });
        if recursive && !context.indirect {
            quote! { Box<#target> }
        } else {
            target
        }
    }

    fn scalar(&mut self, scalar: Scalar, format: Option<&str>) -> TokenStream {
        match (scalar, format) {
            (Scalar::String, Some("uuid")) => {
                self.uses.uuid = true;
                quote! { uuid::Uuid }
            }
            (Scalar::String, Some("date-time")) => {
                self.uses.chrono = true;
                quote! { chrono::DateTime<chrono::Utc> }
            }
            (Scalar::String, Some("date")) => {
                self.uses.chrono = true;
                quote! { chrono::NaiveDate }
            }
            (Scalar::String, _) => quote! { String },
            (Scalar::Integer, Some("int32")) => quote! { i32 },
            (Scalar::Integer, Some("uint32")) => quote! { u32 },
            (Scalar::Integer, Some("uint64")) => quote! { u64 },
            (Scalar::Integer, _) => quote! { i64 },
            (Scalar::Number, Some("float")) => quote! { f32 },
            (Scalar::Number, _) => quote! { f64 },
            (Scalar::Boolean, _) => quote! { bool },
        }
    }

    fn map_type(
        &mut self,
        keys: Option<&[String]>,
        values: Option<&Type>,
        hint: &str,
        context: Context<'_>,
    ) -> TokenStream {
        let value = match values {
            Some(values) => self.within("values", |table| {
                table.value_type(values, &format!("{hint}Value"), indirect(context))
            }),
            None => quote! { serde_json::Value },
        };
        match keys {
            Some(keys) if !keys.is_empty() => {
                let name = self
                    .scope
                    .claim(&naming::upper_camel(&format!("{hint}Key")));
                let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
                self.within("keys", |table| {
                    table.define_enum(&name, &Type::new(Shape::Any), &keys)
                });
                let key = named(&name);
                quote! { std::collections::BTreeMap<#key, #value> }
            }
            _ if values.is_none() => quote! { serde_json::Map<String, serde_json::Value> },
            _ => quote! { std::collections::BTreeMap<String, #value> },
        }
    }

    /// Defines a component under its claimed name.
    fn define_as(&mut self, name: &str, ty: &Type, context: Context<'_>) {
        match &ty.shape {
            Shape::Object {
                properties,
                additional,
                ..
            } if !properties.is_empty() || matches!(additional, Additional::Forbidden) => {
                self.define_struct(name, ty, properties, additional, context)
            }
            Shape::Enum { scalar, values }
                if *scalar == Scalar::String && values.iter().any(Value::is_string) =>
            {
                let names: Vec<&str> = values.iter().filter_map(Value::as_str).collect();
                self.define_enum(name, ty, &names)
            }
            Shape::Const { value, .. } => self.push(
                name,
                ty,
                DefKind::Const {
                    value: value.clone(),
                },
            ),
            Shape::OneOf { variants } | Shape::AnyOf { variants } => {
                self.define_union(name, ty, variants, context)
            }
            Shape::AllOf { parts } if parts.len() > 1 => {
                self.define_all_of(name, ty, parts, context)
            }
            _ => {
                let target = self.value_type(ty, name, context);
                self.push(name, ty, DefKind::Alias(target));
            }
        }
    }

    fn define_struct(
        &mut self,
        name: &str,
        ty: &Type,
        properties: &[Property],
        additional: &Additional,
        context: Context<'_>,
    ) {
        let mut field_scope = Scope::new(RUST_KEYWORDS, Suffix::Underscore);
        let mut fields = Vec::new();
        for property in properties {
            let ident = field_scope.claim(&naming::snake(&property.name));
            let hint = format!("{name}{}", naming::upper_camel(&property.name));
            let value = self.within(&format!("field `{}`", property.name), |table| {
                table.non_null_type(&property.ty, &hint, context)
            });
            let nullable = self.is_nullable(&property.ty);
            let presence = match (property.required, nullable) {
                (true, false) => Presence::Required,
                (true, true) => Presence::RequiredNullable,
                (false, false) => Presence::Optional,
                (false, true) => {
                    self.uses.nullable = true;
                    Presence::OptionalNullable
                }
            };
            fields.push(Field {
                ident,
                wire: property.name.clone(),
                value,
                presence,
                doc: property.ty.description.clone(),
                sensitive: property.ty.sensitive,
            });
        }
        let additional = match additional {
            Additional::Any => Some(quote! { serde_json::Map<String, serde_json::Value> }),
            Additional::Typed(values) => {
                let value = self.within("other fields", |table| {
                    table.value_type(values, &format!("{name}Value"), indirect(context))
                });
                Some(quote! { std::collections::BTreeMap<String, #value> })
            }
            Additional::Unspecified | Additional::Forbidden => None,
        }
        .map(|ty| (field_scope.claim("additional_properties"), ty));
        self.field_names.insert(
            name.to_string(),
            fields
                .iter()
                .map(|f| (f.wire.clone(), (f.ident.clone(), f.presence)))
                .collect(),
        );
        let deny_unknown = matches!(additional_kind(ty), Some(Additional::Forbidden));
        self.push(
            name,
            ty,
            DefKind::Struct(StructDef {
                fields,
                additional,
                deny_unknown,
                flattened: Vec::new(),
            }),
        );
    }

    fn define_enum(&mut self, name: &str, ty: &Type, values: &[&str]) {
        let mut variant_scope = Scope::new(RUST_KEYWORDS, Suffix::Plain);
        variant_scope.occupy("Unknown");
        let variants = values
            .iter()
            .map(|v| (variant_scope.claim(&naming::upper_camel(v)), v.to_string()))
            .collect();
        self.push(name, ty, DefKind::Enum { variants });
    }

    fn define_union(&mut self, name: &str, ty: &Type, variants: &[Type], context: Context<'_>) {
        let mut variant_scope = Scope::new(RUST_KEYWORDS, Suffix::Plain);
        let variants = variants
            .iter()
            .enumerate()
            .map(|(i, variant)| {
                let wanted = variant_name(variant).unwrap_or_else(|| format!("Variant{i}"));
                let variant_name = variant_scope.claim(&naming::upper_camel(&wanted));
                let hint = format!("{name}{variant_name}");
                let ty = self.within(&format!("variant {i}"), |table| {
                    table.value_type(variant, &hint, context)
                });
                (variant_name, ty)
            })
            .collect();
        self.push(name, ty, DefKind::Union { variants });
    }

    fn define_all_of(&mut self, name: &str, ty: &Type, parts: &[Type], context: Context<'_>) {
        let mut field_scope = Scope::new(RUST_KEYWORDS, Suffix::Underscore);
        let flattened = parts
            .iter()
            .enumerate()
            .map(|(i, part)| {
                let wanted = variant_name(part).unwrap_or_else(|| format!("part{i}"));
                let field = field_scope.claim(&naming::snake(&wanted));
                let hint = format!("{name}{}", naming::upper_camel(&wanted));
                let ty = self.within(&format!("part {i}"), |table| {
                    table.non_null_type(part, &hint, context)
                });
                (field, ty)
            })
            .collect();
        self.push(
            name,
            ty,
            DefKind::Struct(StructDef {
                fields: Vec::new(),
                additional: None,
                deny_unknown: false,
                flattened,
            }),
        );
    }

    /// Runs `resolve` with `step` added to the current place.
    fn within<T>(&mut self, step: &str, resolve: impl FnOnce(&mut Self) -> T) -> T {
        let outer = self.place.clone();
        self.place = format!("{outer}, {step}");
        let resolved = resolve(self);
        self.place = outer;
        resolved
    }

    fn push(&mut self, name: &str, ty: &Type, kind: DefKind) {
        let origin = format!("From {}.", self.place);
        let doc = match &ty.description {
            Some(description) => format!("{description}\n\n{origin}"),
            None => origin,
        };
        self.defs.push(Def {
            name: name.to_string(),
            doc,
            kind,
        });
    }
}

/// A model by path: the same tokens are valid in `models.rs` (which imports
/// itself as `models`) and in the service modules.
fn named(name: &str) -> TokenStream {
    let ident = ident(name);
    quote! { models::#ident }
}

fn indirect(context: Context<'_>) -> Context<'_> {
    Context {
        indirect: true,
        ..context
    }
}

fn additional_kind(ty: &Type) -> Option<&Additional> {
    match &ty.shape {
        Shape::Object { additional, .. } => Some(additional),
        _ => None,
    }
}

fn additional_values(additional: &Additional) -> Option<&Type> {
    match additional {
        Additional::Typed(values) => Some(values),
        _ => None,
    }
}

/// A union variant or `allOf` part named after the component it refers to.
fn variant_name(ty: &Type) -> Option<String> {
    match &ty.shape {
        Shape::Ref { name } => Some(name.clone()),
        Shape::Scalar { scalar, .. } => Some(format!("{scalar:?}")),
        Shape::Array { .. } => Some("List".to_string()),
        _ => None,
    }
}

/// For each component, the components it contains directly (not through an
/// array or a map), transitively.
fn reaches(api: &Api) -> BTreeMap<String, BTreeSet<String>> {
    let direct: BTreeMap<&str, BTreeSet<String>> = api
        .types
        .iter()
        .map(|t| {
            let mut refs = BTreeSet::new();
            direct_refs(&t.ty, &mut refs);
            (t.name.as_str(), refs)
        })
        .collect();
    direct
        .keys()
        .map(|&start| {
            let mut seen = BTreeSet::new();
            let mut stack: Vec<&str> = direct[start].iter().map(String::as_str).collect();
            while let Some(next) = stack.pop() {
                if seen.insert(next.to_string())
                    && let Some(more) = direct.get(next)
                {
                    stack.extend(more.iter().map(String::as_str));
                }
            }
            (start.to_string(), seen)
        })
        .collect()
}

fn direct_refs(ty: &Type, out: &mut BTreeSet<String>) {
    match &ty.shape {
        Shape::Ref { name } => {
            out.insert(name.clone());
        }
        Shape::Object { properties, .. } => {
            for property in properties {
                direct_refs(&property.ty, out);
            }
        }
        Shape::OneOf { variants } | Shape::AnyOf { variants } => {
            for variant in variants {
                direct_refs(variant, out);
            }
        }
        Shape::AllOf { parts } => {
            for part in parts {
                direct_refs(part, out);
            }
        }
        Shape::Scalar { .. }
        | Shape::Enum { .. }
        | Shape::Const { .. }
        | Shape::Map { .. }
        | Shape::Array { .. }
        | Shape::Any => {}
    }
}
