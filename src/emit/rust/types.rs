//! How IR types become Rust types. Component schemas keep their names;
//! inline objects, enums, constants and unions get a name from where they
//! appear (`ProvisionStatus.stage` → `ProvisionStatusStage`). Every
//! definition lands in `models.rs`; callers get back the type to write.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

use super::{doc, ident};
use crate::ir::{Access, Additional, Api, Property, Scalar, Shape, Type};
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
    /// Rustdoc markdown: the spec's description, if any (as [`doc::prose`]
    /// writes it), and where the type comes from.
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
    /// A `oneOf` / `anyOf` whose `discriminator` property names the variant.
    Discriminated(Discriminated),
    /// A component that is not an object of its own: `type Name = ...;`.
    Alias(TokenStream),
}

/// A union told apart by one property's value.
pub struct Discriminated {
    /// The property's wire name.
    pub property: String,
    /// Each variant: its name, its type and the property values that select it
    /// (the first is the one it is written with).
    pub variants: Vec<(String, TokenStream, Vec<String>)>,
    /// No variant declares the property itself, so serde's internal tagging
    /// (`#[serde(tag = ...)]`) can own it; otherwise the variant keeps it and
    /// decoding dispatches on it by hand.
    pub internally_tagged: bool,
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
    scope: Scope,
    component_names: BTreeMap<String, String>,
    /// The IR: components are looked up by name in it.
    api: &'a Api,
    /// Components each component reaches without passing through a
    /// collection: a field pointing back along such a path needs a `Box`.
    reaches: BTreeMap<String, BTreeSet<String>>,
    /// Fields per struct (by Rust name), in declaration order.
    structs: BTreeMap<String, StructFields>,
    /// The next struct defined at the top of a body holds `format: binary`
    /// fields as bytes (`Vec<u8>`): a multipart body, whose file parts are raw.
    bytes_fields: bool,
    pub defs: Vec<Def>,
    pub uses: Uses,
    /// Where the type being resolved sits in the spec, for the docs of the
    /// definitions it creates ("schema `Node`, field `children`, items").
    place: String,
    /// The inline types being defined, outermost first, with their names:
    /// an inline type that contains itself (`A.p: allOf: [A, B]` gives `p`
    /// a property `p` of the same `allOf`) refers back to its definition
    /// instead of nesting new ones without end. The count is of the
    /// collections around each definition (see [`Context::collections`]).
    defining: Vec<(Type, String, usize)>,
}

/// What a body encoder needs to know about a struct's fields.
#[derive(Debug, Clone, Default)]
pub struct StructFields {
    pub fields: Vec<FieldFacts>,
    /// The flattened map of undeclared properties, if the struct has one.
    pub additional: Option<String>,
}

#[derive(Debug, Clone)]
pub struct FieldFacts {
    pub wire: String,
    pub ident: String,
    pub presence: Presence,
    /// Held as `Vec<u8>` (a binary field of a multipart body).
    pub bytes: bool,
}

/// Where a type is being written, for boxing recursive references.
#[derive(Clone, Copy)]
struct Context<'c> {
    /// The component whose definition this is part of, if any.
    owner: Option<&'c str>,
    /// Inside a `Vec` or a map: already behind a pointer.
    indirect: bool,
    /// How many `Vec`s and maps enclose this place.
    collections: usize,
}

impl<'a> TypeTable<'a> {
    /// Claims every component's name and defines them, in spec order.
    pub fn new(api: &'a Api) -> Self {
        let mut scope = Scope::rust_types();
        for name in MODELS_RESERVED {
            scope.occupy(name);
        }
        let component_names = api
            .types
            .iter()
            .map(|t| (t.name.clone(), scope.claim(&naming::upper_camel(&t.name))))
            .collect();
        let mut table = TypeTable {
            scope,
            component_names,
            api,
            reaches: reaches(api),
            structs: BTreeMap::new(),
            bytes_fields: false,
            defs: Vec::new(),
            uses: Uses::default(),
            place: String::new(),
            defining: Vec::new(),
        };
        for named in &api.types {
            let name = table.component_names[&named.name].clone();
            table.place = format!("schema `{}`", named.name);
            let context = Context {
                owner: Some(&named.name),
                indirect: false,
                collections: 0,
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
            collections: 0,
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
            collections: 0,
        };
        self.non_null_type(ty, hint, context)
    }

    /// Like [`Self::type_of`] for a multipart body: a struct defined for it
    /// holds its binary fields as bytes.
    pub fn multipart_type_of(&mut self, ty: &Type, hint: &str, place: &str) -> TokenStream {
        self.bytes_fields = true;
        let resolved = self.type_of(ty, hint, place);
        self.bytes_fields = false;
        resolved
    }

    /// The Rust field of `wire` in the struct `rust_name`, with its presence.
    pub fn field(&self, rust_name: &str, wire: &str) -> Option<(&str, Presence)> {
        let field = self
            .structs
            .get(rust_name)?
            .fields
            .iter()
            .find(|f| f.wire == wire)?;
        Some((field.ident.as_str(), field.presence))
    }

    /// The fields of the struct `rust_name`, when it is one.
    pub fn struct_fields(&self, rust_name: &str) -> Option<&StructFields> {
        self.structs.get(rust_name)
    }

    /// The component `name` refers to, if any.
    pub fn component(&self, name: &str) -> Option<&'a Type> {
        self.api.named_type(name).map(|t| &t.ty)
    }

    /// True when `ty` (or the component it names) admits `null`.
    pub fn is_nullable(&self, ty: &Type) -> bool {
        ty.nullable
            || match &ty.shape {
                Shape::Ref { name } => self
                    .component(name)
                    .is_some_and(|t| t.nullable && !matches!(t.shape, Shape::Ref { .. })),
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
                if let Some(recursive) = self.defined_above(ty, context) {
                    return recursive;
                }
                let name = self.scope.claim(&naming::upper_camel(hint));
                let deny_unknown = matches!(additional, Additional::Forbidden);
                self.defining
                    .push((ty.clone(), name.clone(), context.collections));
                self.define_struct(&name, ty, properties, additional, deny_unknown, context);
                self.defining.pop();
                named(&name)
            }
            Shape::Map { values, keys, .. } => {
                self.map_type(keys.as_deref(), Some(values), hint, context)
            }
            Shape::Array { items, .. } => {
                let item = self.within("items", |table| {
                    table.value_type(items, &format!("{hint}Item"), indirect(context))
                });
                quote! { Vec<#item> }
            }
            Shape::OneOf { variants } | Shape::AnyOf { variants } => {
                self.union_type(ty, variants, hint, context)
            }
            Shape::AllOf { parts } => match parts.as_slice() {
                [only] => self.non_null_type(only, hint, context),
                _ => {
                    if let Some(recursive) = self.defined_above(ty, context) {
                        return recursive;
                    }
                    let name = self.scope.claim(&naming::upper_camel(hint));
                    self.defining
                        .push((ty.clone(), name.clone(), context.collections));
                    self.define_all_of(&name, ty, parts, context);
                    self.defining.pop();
                    named(&name)
                }
            },
            Shape::Any => quote! { serde_json::Value },
        }
    }

    /// The type for `ty` when an equal inline type is being defined around
    /// it: that definition, boxed unless a collection lies between the two.
    fn defined_above(&self, ty: &Type, context: Context<'_>) -> Option<TokenStream> {
        let (_, name, collections) = self.defining.iter().find(|(outer, ..)| outer == ty)?;
        let target = named(name);
        Some(if context.collections > *collections {
            target
        } else {
            quote! { Box<#target> }
        })
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
                let deny_unknown = matches!(additional, Additional::Forbidden);
                self.define_struct(name, ty, properties, additional, deny_unknown, context)
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
                let resolved = self.union_variants(ty, name, variants, context);
                match resolved.as_slice() {
                    [] | [_] => {
                        let target = single_variant(resolved);
                        self.push(name, ty, DefKind::Alias(target));
                    }
                    _ => self.define_union(name, ty, resolved),
                }
            }
            Shape::AllOf { parts } if parts.len() > 1 => {
                self.define_all_of(name, ty, parts, context)
            }
            // Where it is used, a nullable component is wrapped in `Option`
            // (see `is_nullable`); its alias is the value alone. A nullable
            // reference is the exception: uses look no further than it.
            Shape::Ref { .. } => {
                let target = self.value_type(ty, name, context);
                self.push(name, ty, DefKind::Alias(target));
            }
            _ => {
                let target = self.non_null_type(ty, name, context);
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
        deny_unknown: bool,
        context: Context<'_>,
    ) {
        // Only the body's own struct holds bytes; what it nests is JSON.
        let bytes_fields = std::mem::take(&mut self.bytes_fields);
        let mut field_scope = Scope::new(RUST_KEYWORDS, Suffix::Underscore);
        let mut fields = Vec::new();
        let mut facts = Vec::new();
        for property in properties {
            let ident = field_scope.claim(&naming::snake(&property.name));
            let hint = format!("{name}{}", naming::upper_camel(&property.name));
            let bytes = bytes_fields && self.api.is_binary(&property.ty);
            let value = if bytes {
                quote! { Vec<u8> }
            } else {
                self.within(&format!("field `{}`", property.name), |table| {
                    table.non_null_type(&property.ty, &hint, context)
                })
            };
            let nullable = self.is_nullable(&property.ty);
            // One type serves requests and answers: a property required
            // in only one direction (readOnly, writeOnly) is optional here.
            let presence = match (property.required_both_ways(), nullable) {
                (true, false) => Presence::Required,
                (true, true) => Presence::RequiredNullable,
                (false, false) => Presence::Optional,
                (false, true) => {
                    self.uses.nullable = true;
                    Presence::OptionalNullable
                }
            };
            facts.push(FieldFacts {
                wire: property.name.clone(),
                ident: ident.clone(),
                presence,
                bytes,
            });
            fields.push(Field {
                ident,
                wire: property.name.clone(),
                value,
                presence,
                doc: field_doc(property),
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
        self.structs.insert(
            name.to_string(),
            StructFields {
                fields: facts,
                additional: additional.as_ref().map(|(field, _)| field.clone()),
            },
        );
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

    /// The Rust type of an inline `oneOf` / `anyOf`: a union named after
    /// `hint`, or the one type its variants come down to.
    fn union_type(
        &mut self,
        ty: &Type,
        variants: &[Type],
        hint: &str,
        context: Context<'_>,
    ) -> TokenStream {
        let base = naming::upper_camel(hint);
        let resolved = self.union_variants(ty, &base, variants, context);
        if resolved.len() < 2 {
            return single_variant(resolved);
        }
        let name = self.scope.claim(&base);
        self.define_union(&name, ty, resolved);
        named(&name)
    }

    /// Each variant's name and Rust type, in spec order. Variants that come
    /// out as the same Rust type are one variant: untagged decoding would
    /// never reach the second (`string` as `email` or `uri`).
    fn union_variants<'v>(
        &mut self,
        union: &Type,
        base: &str,
        variants: &'v [Type],
        context: Context<'_>,
    ) -> Vec<UnionVariant<'v>> {
        let mut variant_scope = Scope::new(RUST_KEYWORDS, Suffix::Plain);
        if union.discriminator.is_some() {
            // A discriminated union may keep values it does not know here.
            variant_scope.occupy("Unknown");
        }
        let mut seen = BTreeSet::new();
        let mut resolved = Vec::new();
        for (i, variant) in variants.iter().enumerate() {
            let wanted = naming::upper_camel(
                &variant_name(variant).unwrap_or_else(|| format!("Variant{i}")),
            );
            let hint = format!("{base}{wanted}");
            let rust = self.within(&format!("variant {i}"), |table| {
                table.value_type(variant, &hint, context)
            });
            if seen.insert(rust.to_string()) {
                resolved.push(UnionVariant {
                    name: variant_scope.claim(&wanted),
                    rust,
                    ty: variant,
                });
            }
        }
        resolved
    }

    fn define_union(&mut self, name: &str, ty: &Type, variants: Vec<UnionVariant<'_>>) {
        let kind = match self.discriminated(ty, &variants) {
            Some(discriminated) => DefKind::Discriminated(discriminated),
            None => DefKind::Union {
                variants: variants.into_iter().map(|v| (v.name, v.rust)).collect(),
            },
        };
        self.push(name, ty, kind);
    }

    /// The union as told apart by its discriminator, when every variant is
    /// a named object schema with values of its own; `None` otherwise (the
    /// union stays untagged, which decodes the same documents).
    fn discriminated(&self, ty: &Type, variants: &[UnionVariant<'_>]) -> Option<Discriminated> {
        let discriminator = ty.discriminator.as_ref()?;
        let mut taken = BTreeSet::new();
        let mut internally_tagged = true;
        let mut out = Vec::new();
        for variant in variants {
            let Shape::Ref { name } = &variant.ty.shape else {
                return None;
            };
            let properties = self.object_properties(variant.ty)?;
            if properties.iter().any(|p| p.name == discriminator.property) {
                internally_tagged = false;
            }
            // Mapping values that select this schema; without any, OpenAPI's
            // implicit value is the schema's name.
            let mut values: Vec<String> = discriminator
                .mapping
                .iter()
                .filter(|(_, target)| mapping_target(target) == *name)
                .map(|(value, _)| value.clone())
                .collect();
            if values.is_empty() {
                // The base schema's mapping, in the inheritance style
                // (`Cat: allOf: [{$ref: Pet}, …]`, `Pet` holding the mapping).
                let mut seen = Vec::new();
                self.inherited_values(name, name, &discriminator.property, &mut values, &mut seen);
            }
            if values.is_empty() {
                values.push(name.clone());
            }
            for value in &values {
                if !taken.insert(value.clone()) {
                    return None;
                }
            }
            out.push((variant.name.clone(), variant.rust.clone(), values));
        }
        Some(Discriminated {
            property: discriminator.property.clone(),
            variants: out,
            internally_tagged: internally_tagged && !variant_nullable(variants),
        })
    }

    /// The values that select `variant` in the discriminator mappings (for
    /// `property`) of the schemas `schema` is built from.
    fn inherited_values(
        &self,
        schema: &str,
        variant: &str,
        property: &str,
        values: &mut Vec<String>,
        seen: &mut Vec<String>,
    ) {
        if seen.iter().any(|s| s == schema) {
            return;
        }
        seen.push(schema.to_string());
        let Some(ty) = self.component(schema) else {
            return;
        };
        if let Some(discriminator) = ty.discriminator.as_ref().filter(|d| d.property == property) {
            for (value, target) in &discriminator.mapping {
                if mapping_target(target) == variant && !values.contains(value) {
                    values.push(value.clone());
                }
            }
        }
        if let Shape::AllOf { parts } = &ty.shape {
            for part in parts {
                if let Shape::Ref { name } = &part.shape {
                    self.inherited_values(name, variant, property, values, seen);
                }
            }
        }
    }

    /// `allOf`: one struct with every part's properties when every part is
    /// an object (the usual `allOf: [{$ref: Base}, {properties: …}]`); the
    /// parts flattened side by side when some part is a map or a union;
    /// any JSON value when a part is not an object at all.
    fn define_all_of(&mut self, name: &str, ty: &Type, parts: &[Type], context: Context<'_>) {
        if let Some((properties, additional)) = self.merged_object(ty) {
            self.define_struct(name, ty, &properties, &additional, false, context);
            return;
        }
        if !parts.iter().all(|part| self.is_object_like(part)) {
            let mut def = Type::new(Shape::Any);
            def.description = Some(format!(
                "{}{}Its `allOf` parts are not all objects, so it is kept as any JSON value.",
                ty.description.as_deref().unwrap_or_default(),
                if ty.description.is_some() { "\n\n" } else { "" }
            ));
            self.push(name, &def, DefKind::Alias(quote! { serde_json::Value }));
            return;
        }
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

    /// The properties an object schema declares, through references and
    /// `allOf`; `None` when `ty` is not an object.
    fn object_properties(&self, ty: &Type) -> Option<Vec<Property>> {
        match &ty.shape {
            Shape::Object { properties, .. } => Some(properties.clone()),
            _ => self.merged_object(ty).map(|(properties, _)| properties),
        }
    }

    /// Every property of an `allOf` (or of the component a reference names)
    /// whose parts are all objects, first declaration first: a property two
    /// parts declare keeps the first part's type (a value must satisfy both,
    /// so decoding with either accepts it) and is required if any part says
    /// so. Undeclared properties are kept when some part allows them.
    fn merged_object(&self, ty: &Type) -> Option<(Vec<Property>, Additional)> {
        let mut properties: Vec<Property> = Vec::new();
        let mut additional = Additional::Unspecified;
        let mut seen = Vec::new();
        self.collect_object(ty, &mut properties, &mut additional, &mut seen)?;
        Some((properties, additional))
    }

    fn collect_object(
        &self,
        ty: &Type,
        properties: &mut Vec<Property>,
        additional: &mut Additional,
        seen: &mut Vec<String>,
    ) -> Option<()> {
        match &ty.shape {
            Shape::Object {
                properties: own,
                additional: own_additional,
                ..
            } => {
                for property in own {
                    match properties.iter_mut().find(|p| p.name == property.name) {
                        Some(existing) => {
                            existing.required |= property.required;
                            if existing.access.is_read_write() {
                                existing.access = property.access;
                            }
                        }
                        None => properties.push(property.clone()),
                    }
                }
                *additional = match (&*additional, own_additional) {
                    (Additional::Unspecified, Additional::Typed(t)) => Additional::Typed(t.clone()),
                    (Additional::Typed(a), Additional::Typed(b)) if a == b => {
                        Additional::Typed(a.clone())
                    }
                    (Additional::Unspecified, Additional::Unspecified | Additional::Forbidden) => {
                        Additional::Unspecified
                    }
                    (current, Additional::Unspecified | Additional::Forbidden) => current.clone(),
                    _ => Additional::Any,
                };
                Some(())
            }
            Shape::Ref { name } => {
                // A reference cycle through `allOf` has no finite struct.
                if seen.contains(name) {
                    return None;
                }
                seen.push(name.clone());
                let target = self.component(name)?;
                let collected = self.collect_object(target, properties, additional, seen);
                seen.pop();
                collected
            }
            Shape::AllOf { parts } if !parts.is_empty() => {
                for part in parts {
                    self.collect_object(part, properties, additional, seen)?;
                }
                Some(())
            }
            _ => None,
        }
    }

    /// True for what serde can flatten into a struct: objects, maps, unions.
    fn is_object_like(&self, ty: &Type) -> bool {
        match &ty.shape {
            Shape::Object { .. }
            | Shape::Map { .. }
            | Shape::OneOf { .. }
            | Shape::AnyOf { .. }
            | Shape::AllOf { .. } => true,
            Shape::Ref { name } => self
                .component(name)
                .is_some_and(|t| !matches!(t.shape, Shape::Ref { .. }) && self.is_object_like(t)),
            _ => false,
        }
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
        let mut origin = format!("From {}.", self.place);
        // The subtypes an object's discriminator names, as Rust types.
        if let Some(discriminator) = &ty.discriminator
            && !discriminator.mapping.is_empty()
            && matches!(kind, DefKind::Struct(_))
        {
            let subtypes: Vec<String> = discriminator
                .mapping
                .iter()
                .map(|(value, target)| {
                    let target = mapping_target(target);
                    let rust = self.component_names.get(&target).unwrap_or(&target);
                    format!("{} → `{rust}`", doc::code(value))
                })
                .collect();
            origin.push_str(&format!(
                " Its property {} names the subtype: {}.",
                doc::code(&discriminator.property),
                subtypes.join(", ")
            ));
        }
        // The description is spec markdown, the origin tiergen's: each
        // written on its own, so an unclosed fence in the one cannot take
        // in the other.
        let doc = match &ty.description {
            Some(description) => format!("{}\n\n{origin}", doc::prose(description)),
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
        collections: context.collections + 1,
        ..context
    }
}

/// One variant of a union: its Rust name and type, and its IR type.
struct UnionVariant<'v> {
    name: String,
    rust: TokenStream,
    ty: &'v Type,
}

/// The type a union of at most one distinct variant comes down to.
fn single_variant(mut resolved: Vec<UnionVariant<'_>>) -> TokenStream {
    match resolved.pop() {
        Some(only) => only.rust,
        None => quote! { serde_json::Value },
    }
}

fn variant_nullable(variants: &[UnionVariant<'_>]) -> bool {
    variants.iter().any(|v| v.ty.nullable)
}

/// The schema name a discriminator mapping value points at: the last
/// segment of `#/components/schemas/<name>` (JSON-pointer escapes undone),
/// or the bare name OpenAPI also allows.
fn mapping_target(target: &str) -> String {
    target
        .rsplit('/')
        .next()
        .unwrap_or(target)
        .replace("~1", "/")
        .replace("~0", "~")
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

/// A field's rustdoc: the spec's description, then which way it travels
/// when that is one way only (why it is an `Option` though required).
fn field_doc(property: &Property) -> Option<String> {
    let travels = match property.access {
        Access::ReadWrite => return property.ty.description.clone(),
        Access::ReadOnly => "Read-only: the server sets it; requests leave it `None`.",
        Access::WriteOnly => "Write-only: sent in requests, never in answers.",
    };
    let required = if property.required {
        " The spec marks it required in that direction."
    } else {
        ""
    };
    Some(match &property.ty.description {
        Some(description) => format!("{description}\n\n{travels}{required}"),
        None => format!("{travels}{required}"),
    })
}
