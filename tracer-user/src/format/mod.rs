//! Rendering decoded events. Pure functions of the model and the options.

pub mod dump;
pub mod fdname;
pub mod json;
mod json_value;
pub mod jsonw;
pub mod quote;
pub mod stamp;
pub mod strace;
pub mod text_options;
pub mod value;
