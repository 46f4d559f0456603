package extract

import "strings"

// givenNames are common first names in Sweden and its neighbours. A
// capitalised pair of words starting with one of them is taken for a
// person's name even where no title stands next to it.
var givenNames = func() map[string]bool {
	m := map[string]bool{}
	for _, n := range strings.Fields(givenNameList) {
		m[n] = true
	}
	return m
}()

const givenNameList = `
Adam Agneta Agnes Albin Alexander Alexandra Alf Alice Alva Alvar Amanda Ami Anders Andreas Anette Ann Anna
Annelie Anneli Annika Ann-Charlotte Ann-Christin Ann-Kristin Ann-Louise Ann-Marie Ann-Sofie Anita Anton Arne Arvid
Astrid Axel Barbro Beatrice Bengt Benny Berit Bertil Birgitta Bitti Björn Bo Britt Britta Camilla Carin Carina Carl
Caroline Cecilia Charlotte Christer Christian Christina Christoffer Claes Clara Conny Dag Dan Daniel David
Dennis Ebba Edvin Elin Elisabet Elisabeth Elise Ella Ellen Elsa Emelie Emil Emilia Emma Eric Erik Erika Eva
Evelina Fanny Felix Filip Frida Fredrik Gabriel Gerd Gert Gun Gunilla Gunnar Gustav Gustaf Görgen Göran
Hanna Hannah Hans Hans-Erik Harald Hahn Helen Helena Helene Heléne Helén Henrik Henrika Hugo Hulda Håkan Ida Ingemar Inger
Ingrid Ingvar Irene Irén Isabella Isak Jakob Jan Jan-Erik Jan-Olof Jan-Stefan Jana Jannike Jeanette Jenny Jennie Jens Jesper Jessica
Joakim Joel Johan Johanna Johannes John Jonas Jonatan Josefin Josefine Julia Jörgen Kajsa Karin Karl Karl-Erik
Karolina Katarina Kenneth Kerstin Kim Kimmo Kjell Klara Kristian Kristina Kristoffer Lars Lars-Erik Lars-Göran Lars-Ove
Lasse Leif Lena Lennart Leo Linda Linda-Marie Linn Linnea Lisa Liselott Lotta Louise Lovisa Lucas Ludvig Magdalena Magnus Maja
Malin Marcus Margareta Maria Marianne Marie Marika Markus Martin Mats Matilda Mattias Max Maximilian Mikael Mona Monica
Monika Nadja Nikolas Niklas Nils Nina Ola Olle Olof Olov Oliver Oscar Oskar Ove Patrik Per Per-Erik Per-Göran Per-Ola Peter
Petra Petter Pia Pierre Pirjo Pontus Pål Ragnar Rebecka Rickard Robert Robin Roger Roland Rolf Rune Ruth Sabina Sandra Sara Sebastian
Simon Siv Sofia Sofie Sonja Stefan Sten Sten-Rune Stig Stina Susanne Susanna Sune Svante Sven Sven-Erik Sylvia Sören Tage Therese
Theresa Thomas Tilda Tina Tobias Tom Tomas Tommy Tor Torbjörn Tove Ulf Ulla Ulrica Ulrika Ulrik Valter Veronica Veronika
Victor Viktor Viktoria Wilhelm William Ylva Yvonne Åke Åsa Örjan Östen Marit Karina Lina Nora Hedda Märta Dagny Greta Elvira
Alfred Arvid Börje Curt Kurt Einar Folke Gösta Hampus Jimmy Kent Krister Lage Mauritz Nicklas Otto Pelle Ronny Sixten
Tor Ture Uno Vilhelm Åsa Cecilie Charlotta Christine Josephine Mirjam Rut Solveig Tuva Vera Wilma Agnetha Anne Annette
Bodil Eleonor Eleonore Gunnel Helga Ingela Ingalill Jenni Jenna Katja Liv Lill Madeleine Mari Maud Moa Nathalie Paula
Rakel Rose-Marie Sanna Signe Therése Ulrica Vanja Yasmine Zara Ahmed Ali Mohammed Hassan Omar Jonny Stellan Bertil
`
