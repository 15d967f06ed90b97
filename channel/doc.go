// Package channel connects careflow's messaging runtime to the outside: each channel type
// receives at /c/<type>/<channel uuid>/<action> and sends what the runtime queued for its
// channels. This file set starts with the built-in test channel.
package channel
